package io.cadenza.config;

/**
 * A setting that is missing or breaks its rule. The message is one line naming the key, the rule
 * and the value that was given, so an operator can fix it without reading code.
 */
public final class InvalidSettingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String rule;

  public InvalidSettingException(String key, String rule, Object given) {
    super("invalid setting " + key + ": " + rule + " (given: " + describe(given) + ")");
    this.key = key;
    this.rule = rule;
  }

  public String key() {
    return key;
  }

  public String rule() {
    return rule;
  }

  private static String describe(Object given) {
    if (given == null) {
      return "nothing";
    }
    return given instanceof String ? "\"" + given + "\"" : String.valueOf(given);
  }
}
