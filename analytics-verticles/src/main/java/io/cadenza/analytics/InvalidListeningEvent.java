package io.cadenza.analytics;

/**
 * A listening event that cannot be read or breaks a rule of the schema; the message says which
 * field and why (it becomes the 400's message, or the dead-letter record's reason).
 */
public final class InvalidListeningEvent extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidListeningEvent(String message) {
    super(message, null, false, false);
  }
}
