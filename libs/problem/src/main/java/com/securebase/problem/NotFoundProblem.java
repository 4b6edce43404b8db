package com.securebase.problem;

/**
 * 404 for an id that does not exist or belongs to another tenant: the two must be
 * indistinguishable, so the answer never says which.
 */
public class NotFoundProblem extends ProblemException {
  private static final long serialVersionUID = 1L;

  public NotFoundProblem(String resource, Object id) {
    super(404, "not-found", "Resource not found", resource + " " + id + " does not exist");
  }
}
