package com.securebase.catalog;

import java.util.List;

/** Event data that does not match its type's JSON Schema; never published. */
public class InvalidEventDataException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final List<String> violations;

  public InvalidEventDataException(String type, List<String> violations) {
    super("Data of event type '" + type + "' does not match its schema: " + violations);
    this.violations = List.copyOf(violations);
  }

  public List<String> violations() {
    return violations;
  }
}
