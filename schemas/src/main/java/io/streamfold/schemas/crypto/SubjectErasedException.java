package io.streamfold.schemas.crypto;

/**
 * The data subject's key is gone: it was forgotten (erased), so their personal data can never be
 * read again. Not a failure of the data: readers show the field as erased.
 */
public final class SubjectErasedException extends CryptoException {
  private static final long serialVersionUID = 1L;
  private final String subjectId;

  public SubjectErasedException(String subjectId) {
    super("The personal data of subject " + subjectId + " was erased");
    this.subjectId = subjectId;
  }

  public String subjectId() {
    return subjectId;
  }
}
