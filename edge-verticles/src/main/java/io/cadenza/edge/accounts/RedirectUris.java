package io.cadenza.edge.accounts;

import java.net.URI;
import java.net.URISyntaxException;

/** What Cadenza accepts as an OAuth redirect URI at registration. */
public final class RedirectUris {

  private RedirectUris() {}

  public static boolean isAcceptable(String text) {
    if (text.length() > 512) {
      return false;
    }
    try {
      URI uri = new URI(text);
      return uri.isAbsolute()
          && uri.getHost() != null
          && uri.getRawFragment() == null
          && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()));
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
