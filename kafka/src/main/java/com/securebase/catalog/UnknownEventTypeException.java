package com.securebase.catalog;

/** An event type that the catalog does not list: code may neither publish nor expect it. */
public class UnknownEventTypeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnknownEventTypeException(String type) {
    super("Event type '" + type + "' is not in the event catalog (kafka/catalog.yaml)");
  }
}
