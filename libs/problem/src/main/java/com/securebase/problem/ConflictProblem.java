package com.securebase.problem;

import java.util.Map;

/** 409: the request is valid but conflicts with the resource's current state. */
public class ConflictProblem extends ProblemException {
  private static final long serialVersionUID = 1L;

  public ConflictProblem(String slug, String title, String detail, Map<String, Object> extensions) {
    super(409, slug, title, detail, extensions);
  }

  public ConflictProblem(String detail) {
    this("conflict", "Conflict", detail, Map.of());
  }
}
