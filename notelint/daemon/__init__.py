"""``notelint daemon``: a vault kept open in the background, so that checking a few notes
named one by one (pre-commit, an editor's save hook) costs a request, not a vault's opening.

:mod:`.client` (standard library only) finds and asks a running daemon; :mod:`.server`
answers over a Unix socket; :mod:`.resident` is the open vault, brought up to date before
each request from :mod:`.changes` (inotify).
"""
