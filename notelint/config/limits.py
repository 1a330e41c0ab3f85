"""Size limits, shared by the configuration model and the code that reads files.

A note over ``max-file-size`` is one NL001 finding and the run goes on; any
other file over its cap is an error (exit 2) naming the file and the cap.
"""

DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024
MAX_MAX_FILE_SIZE = 1024 * 1024 * 1024  # a note over 1 GiB is not a note

MiB = 1024 * 1024
# the caps of the files that are not notes: (bytes, what the error calls the file)
CONFIG_CAP = (1 * MiB, "a configuration file")
SCHEMA_CAP = (16 * MiB, "a front matter schema")
VIDEOS_CAP = (64 * MiB, "a videos file")
BASELINE_CAP = (256 * MiB, "an audit baseline")
CACHE_SHARD_CAP = 256 * MiB  # a larger cache shard is ignored (and rebuilt), like a corrupt one
