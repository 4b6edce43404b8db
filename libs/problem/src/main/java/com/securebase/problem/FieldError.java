package com.securebase.problem;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One invalid input in a 400 problem's {@code errors} list: where (a JSON pointer-ish path) and
 * why.
 */
// Inside Problem extensions (a Map), which REST registration does not reach.
@RegisterForReflection
public record FieldError(String field, String message) {}
