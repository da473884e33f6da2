class Model:
    """Scores items. (The word import in a docstring is not an import.)"""

    def score(self, item):
        return len(item)
