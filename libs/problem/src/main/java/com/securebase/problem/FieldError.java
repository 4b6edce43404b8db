package com.securebase.problem;

/**
 * One invalid input in a 400 problem's {@code errors} list: where (a JSON pointer-ish path) and
 * why.
 */
public record FieldError(String field, String message) {}
