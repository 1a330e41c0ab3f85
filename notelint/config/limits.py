"""Size limits, shared by the configuration model and the code that reads files."""

DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024
MAX_MAX_FILE_SIZE = 1024 * 1024 * 1024  # a note over 1 GiB is not a note
