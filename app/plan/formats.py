"""The plan report formats, apart from the exporters so that the command line can list them cheaply."""

FORMATS = ("md", "html", "pdf", "csv", "xlsx")
