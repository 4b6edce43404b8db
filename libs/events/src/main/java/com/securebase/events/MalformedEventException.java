package com.securebase.events;

/** A Kafka record that is not a well-formed SecureBase CloudEvent (poison message). */
public class MalformedEventException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedEventException(String message) {
    super(message);
  }

  public MalformedEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
