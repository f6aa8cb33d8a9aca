"""Character n-gram TF-IDF computed through words, so that classifying thousands of texts stays fast.

scikit-learn's `char_wb` analyser builds every n-gram of every word of every text in Python, which for
10 000 descriptions takes longer than the whole classification may. Within word boundaries, a text's
n-gram counts are the sum of its words' n-gram counts, so this vectoriser counts words per text, finds the
n-grams of each distinct word once, and multiplies the two sparse matrices. The result equals
`TfidfVectorizer(analyzer="char_wb", …)` exactly; only the work is shared between repeated words.
"""

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer


def _whitespace_words(text: str) -> list[str]:
    """Words the way `char_wb` sees them: lower-cased, split on whitespace, punctuation kept."""
    return text.lower().split()


class WordCharTfidf(TransformerMixin, BaseEstimator):
    def __init__(self, ngram_range=(3, 5), min_df=2, max_df=1.0, sublinear_tf=True):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.sublinear_tf = sublinear_tf

    def fit(self, texts, y=None):  # noqa: ARG002 (scikit-learn signature)
        words, per_text = self._words(texts)
        every = CountVectorizer(analyzer="char_wb", ngram_range=self.ngram_range, dtype=float)
        per_word = every.fit_transform(words)
        counts = per_text @ per_word
        frequency = np.asarray((counts > 0).sum(axis=0)).ravel()
        n = len(texts)
        low = self.min_df if isinstance(self.min_df, int) else self.min_df * n
        high = self.max_df if isinstance(self.max_df, int) else self.max_df * n
        kept = (frequency >= low) & (frequency <= high)
        # a fixed vocabulary needs no second pass over the words: transform() validates it on first use
        self.chars_ = CountVectorizer(
            analyzer="char_wb",
            ngram_range=self.ngram_range,
            vocabulary=every.get_feature_names_out()[kept],
            dtype=float,
        )
        self.tfidf_ = TfidfTransformer(sublinear_tf=self.sublinear_tf).fit(counts[:, kept])
        return self

    @staticmethod
    def _words(texts):
        counter = CountVectorizer(analyzer=_whitespace_words, dtype=float)
        if not any(_whitespace_words(text) for text in texts):
            return [], sparse.csr_matrix((len(texts), 0))
        per_text = counter.fit_transform(texts)
        return sorted(counter.vocabulary_, key=counter.vocabulary_.get), per_text

    def counts(self, texts):
        """Raw n-gram counts per text: (texts × distinct words) @ (distinct words × n-grams)."""
        words, per_text = self._words(texts)
        return per_text @ self.chars_.transform(words)

    def transform(self, texts):
        return self.tfidf_.transform(self.counts(texts))

    def get_feature_names_out(self, input_features=None):  # noqa: ARG002 (scikit-learn signature)
        return self.chars_.get_feature_names_out()
