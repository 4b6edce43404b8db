package com.securebase.gateway.api;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** One of the six tenant roles (API key scopes and user roles alike). */
@NotNull
@Pattern(regexp = "owner|admin|billing|analyst|support|viewer")
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Documented
@Target({TYPE_USE, FIELD, PARAMETER})
@Retention(RUNTIME)
public @interface RoleName {
  String message() default "must be one of owner, admin, billing, analyst, support, viewer";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
