package io.cadenza.edge.oauth;

/**
 * An error of the OAuth endpoints, answered in RFC 6749's shape {@code {"error": "invalid_grant",
 * "error_description": "..."}} as Spotify's accounts service does, so OAuth client libraries
 * understand it.
 */
public final class OAuthException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;

  public OAuthException(int status, String error, String description) {
    super(description, null, false, false);
    this.status = status;
    this.error = error;
  }

  public static OAuthException invalidRequest(String description) {
    return new OAuthException(400, "invalid_request", description);
  }

  public static OAuthException invalidGrant(String description) {
    return new OAuthException(400, "invalid_grant", description);
  }

  public static OAuthException invalidClient(String description) {
    return new OAuthException(401, "invalid_client", description);
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }
}
