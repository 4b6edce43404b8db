package com.securebase.problem;

import java.util.Map;

/**
 * Thrown (or failed in a {@code Uni}) by service code to answer with a problem; mapped by {@link
 * ProblemMappers}. Subclasses name the common cases.
 */
public class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Problem problem;

  public ProblemException(
      int status, String slug, String title, String detail, Map<String, Object> extensions) {
    super(detail, null, false, false); // an expected outcome: no stack trace to fill or log
    this.problem = new Problem(Problem.type(slug), title, status, detail, null, extensions);
  }

  public ProblemException(int status, String slug, String title, String detail) {
    this(status, slug, title, detail, Map.of());
  }

  /** 400 {@code validation-failed} for one field, in the shape the validation mapper uses. */
  public static ProblemException invalidField(String field, String message) {
    return new ProblemException(
        400,
        "validation-failed",
        "The request is not valid",
        field + " " + message,
        Map.of("errors", java.util.List.of(new FieldError(field, message))));
  }

  public Problem problem() {
    return problem;
  }
}
