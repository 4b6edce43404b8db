package com.securebase.analytics.domain;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A dimension a query groups or filters by: one of the point's named dimensions, or a tag written
 * {@code tags.<name>}. Names are checked against fixed patterns; neither a name nor a value ever
 * becomes SQL text (dimensions map to fixed column names, tag names and values are bound).
 */
public record Field(String dimension, String tag) {
  public static final Set<String> DIMENSIONS = Set.of("region", "service", "account");
  public static final Pattern TAG_NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9_.:-]{0,62}$");
  private static final String TAG_PREFIX = "tags.";

  public static Optional<Field> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    if (DIMENSIONS.contains(text)) {
      return Optional.of(new Field(text, null));
    }
    if (text.startsWith(TAG_PREFIX) && TAG_NAME.matcher(text.substring(5)).matches()) {
      return Optional.of(new Field(null, text.substring(5)));
    }
    return Optional.empty();
  }

  public boolean isTag() {
    return tag != null;
  }

  /** The name as a client writes it (and as result columns are headed). */
  public String name() {
    return isTag() ? TAG_PREFIX + tag : dimension;
  }
}
