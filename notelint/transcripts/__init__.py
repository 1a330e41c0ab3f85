"""Citations checked against the video's transcript (groundwork of issue 16).

Nothing in notelint imports this package yet. Its parts, in data-flow order:

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
  :class:`~.rules.Unsupported`, :class:`~.rules.LabelDisagreement`).

The parsers (``srt``, ``webvtt-py``) and the stemmer are imported only when
used; they come with the ``transcripts`` extra.
"""
