package io.cadenza.edge.accounts;

/** The small HTML pages of the sign-in flows, with every reflected value escaped. */
public final class Html {

  private Html() {}

  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  public static String hidden(String name, String value) {
    return value == null
        ? ""
        : "<input type=\"hidden\" name=\"" + escape(name) + "\" value=\"" + escape(value) + "\">";
  }

  public static String page(String title, String body) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>"
        + escape(title)
        + "</title><style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;"
        + "padding:0 1rem}label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.4rem}"
        + "button{margin:1rem .5rem 0 0;padding:.5rem 1rem}.error{color:#b00020}</style></head><body>"
        + "<h1>"
        + escape(title)
        + "</h1>"
        + body
        + "</body></html>";
  }
}
