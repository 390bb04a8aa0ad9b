"""Exchange with other tools: the QDA tools' REFI-QDA files (`refi`)."""
