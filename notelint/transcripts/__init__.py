"""Citations checked against the video's transcript (issue 16).

:class:`notelint.videos.VideoData` reads and indexes a video's transcript;
the TR rules (:mod:`notelint.rules.transcripts`) turn the verdicts of this
package into findings. Its parts, in data-flow order:

- :mod:`.load`: a transcript file (``.srt``, ``.vtt``, ``.json``) to a
  :class:`~.load.Transcript` of :class:`~.load.Cue` records, or one
  :class:`~.load.TranscriptError`;
- :mod:`.claims`: a parsed note to :class:`~.claims.CitedClaim` records
  (each citation with the text of the claim it closes);
- :mod:`.score`: a :class:`~.score.VideoIndex` per transcript (TF-IDF fitted
  per video, pure Python) that scores a claim in a window of the video and
  finds the best-supported cue start;
- :mod:`.rules`: pure functions from claims and an index to typed verdicts
  (:class:`~.rules.PastEnd`, :class:`~.rules.WrongScale`,
  :class:`~.rules.Unsupported`, :class:`~.rules.LabelDisagreement`);
- :mod:`.support`: where each citation's support lies, for the audit.

The parsers (``srt``, ``webvtt-py``) and the stemmer are imported only when
used; they come with the ``transcripts`` extra.
"""
