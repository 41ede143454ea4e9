"""The command line's verbs (search, export, figures, correct) and the index progress: above every layer they read."""
