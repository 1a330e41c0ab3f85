import json, random, sys, collections
src, out, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 11
d = json.load(open(src))['findings']
by = collections.defaultdict(list)
for f in d:
    by[f['code']].append(f)
rows = []
for code in sorted(by):
    fs = sorted(by[code], key=lambda f: (f['path'], f['line'], f['column'], f['message']))
    pick = fs if len(fs) <= 30 else random.Random(f"{seed}-{code}").sample(fs, 30)
    pick.sort(key=lambda f: (f['path'], f['line'], f['column']))
    rows += pick
with open(out, 'w') as fh:
    for f in rows:
        fh.write("\t".join([f['path'], f['code'], str(f['line']), str(f['column']), f['message'].replace('\t', ' ')]) + "\n")
print(len(rows))
