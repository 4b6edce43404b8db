package com.securebase.notifications.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A line of text with {@code {field}} placeholders filled from an event's data. Missing and null
 * fields render as empty text: the catalog schemas already guarantee what a rule relies on.
 */
public record MessageTemplate(String text) {
  private static final Pattern FIELD = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

  public String render(JsonNode data) {
    Matcher m = FIELD.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      JsonNode value = data.path(m.group(1));
      m.appendReplacement(
          out,
          Matcher.quoteReplacement(value.isMissingNode() || value.isNull() ? "" : value.asText()));
    }
    m.appendTail(out);
    return out.toString();
  }
}
