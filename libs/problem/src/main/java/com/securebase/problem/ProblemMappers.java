package com.securebase.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps every failure a resource can raise to {@code application/problem+json}. Clients get a stable
 * {@code type}, never a stack trace; unexpected errors are logged with an id that the answer
 * repeats, so support can find the log line.
 */
public class ProblemMappers {
  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  @ServerExceptionMapper
  public Response problem(ProblemException e, UriInfo uri) {
    return respond(e.problem(), uri);
  }

  @ServerExceptionMapper
  public Response validation(ConstraintViolationException e, UriInfo uri) {
    boolean returnValue =
        e.getConstraintViolations().stream()
            .anyMatch(v -> kinds(v.getPropertyPath()).contains(ElementKind.RETURN_VALUE));
    if (returnValue) {
      return unexpected(e, uri); // our own answer broke its contract: a server fault
    }
    List<FieldError> errors =
        e.getConstraintViolations().stream()
            .map(v -> new FieldError(field(v), v.getMessage()))
            .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::message))
            .toList();
    return respond(
        new Problem(
            Problem.type("validation-failed"),
            "The request is not valid",
            400,
            errors.size() + " field(s) failed validation",
            null,
            Map.of("errors", errors)),
        uri);
  }

  @ServerExceptionMapper
  public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
    String field = path(e);
    return respond(
        new Problem(
            Problem.type("unknown-field"),
            "The request has an unknown field",
            400,
            "Field '" + field + "' is not part of this request",
            null,
            Map.of("errors", List.of(new FieldError(field, "unknown field")))),
        uri);
  }

  @ServerExceptionMapper
  public Response invalidValue(MismatchedInputException e, UriInfo uri) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      return unknownField(unknown, uri);
    }
    String field = path(e);
    Class<?> target = e.getTargetType();
    String message;
    if (target != null && target.isEnum()) {
      message =
          "must be one of "
              + Arrays.stream(target.getEnumConstants())
                  .map(c -> enumName(target, c))
                  .collect(Collectors.joining(", ", "[", "]"));
    } else if (target != null) {
      message = "must be " + describe(target);
    } else {
      message = "has the wrong type";
    }
    if (e instanceof InvalidFormatException invalid
        && invalid.getValue() != null
        && target != null
        && !target.isEnum()) {
      message = message + " (got '" + invalid.getValue() + "')";
    }
    if (field.isEmpty()) {
      return malformed("The request body has the wrong shape", uri);
    }
    return invalid(field, message, uri);
  }

  @ServerExceptionMapper
  public Response databind(DatabindException e, UriInfo uri) {
    if (e instanceof MismatchedInputException mismatch) {
      return invalidValue(mismatch, uri);
    }
    // A constructor or setter rejected the value (e.g. a record's compact constructor).
    String field = e instanceof JsonMappingException m ? path(m) : "";
    String reason =
        e.getCause() != null && e.getCause().getMessage() != null
            ? e.getCause().getMessage()
            : "is invalid";
    return invalid(field, reason, uri);
  }

  private static Response invalid(String field, String message, UriInfo uri) {
    return respond(
        new Problem(
            Problem.type("invalid-value"),
            "A field has an invalid value",
            400,
            field.isEmpty() ? message : "Field '" + field + "' " + message,
            null,
            Map.of("errors", List.of(new FieldError(field, message)))),
        uri);
  }

  @ServerExceptionMapper
  public Response malformedJson(JsonProcessingException e, UriInfo uri) {
    if (e instanceof DatabindException databind) {
      return databind(databind, uri);
    }
    String where =
        e.getLocation() == null
            ? ""
            : " (line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr()
                + ")";
    return malformed("The request body is not valid JSON" + where, uri);
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e, UriInfo uri) {
    int status = e.getResponse().getStatus();
    if (e.getCause() instanceof JsonProcessingException json) {
      return malformedJson(json, uri); // the JSON reader wraps parse errors in a plain 400
    }
    if (status >= 500) {
      return unexpected(e, uri);
    }
    String slug =
        switch (status) {
          case 401 -> "unauthorized";
          case 403 -> "forbidden";
          case 404 -> "not-found";
          case 405 -> "method-not-allowed";
          case 406 -> "not-acceptable";
          case 413 -> "payload-too-large";
          case 415 -> "unsupported-media-type";
          default -> "bad-request";
        };
    Response.StatusType info = Response.Status.fromStatusCode(status);
    String title = info == null ? "Request refused" : info.getReasonPhrase();
    Response.ResponseBuilder answer =
        Response.status(status)
            .type(Problem.MEDIA_TYPE)
            .entity(
                new Problem(
                    Problem.type(slug), title, status, detail(e, title), uri.getPath(), Map.of()));
    // Keep protocol headers such as Allow (405) and WWW-Authenticate (401).
    e.getResponse()
        .getHeaders()
        .forEach(
            (name, values) -> {
              if (!name.equalsIgnoreCase("Content-Type")
                  && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> answer.header(name, v));
              }
            });
    return answer.build();
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e, UriInfo uri) {
    String errorId = UUID.randomUUID().toString();
    LOG.errorf(e, "Unexpected error %s on %s", errorId, uri == null ? "?" : uri.getPath());
    return respond(
        new Problem(
            Problem.type("internal-error"),
            "Internal error",
            500,
            "An unexpected error occurred; quote error id " + errorId + " to support",
            null,
            Map.of("errorId", errorId)),
        uri);
  }

  private Response malformed(String detail, UriInfo uri) {
    return respond(
        new Problem(
            Problem.type("malformed-request"),
            "The request body cannot be read",
            400,
            detail,
            null,
            Map.of()),
        uri);
  }

  private static Response respond(Problem problem, UriInfo uri) {
    Problem located = uri == null ? problem : problem.withInstance(uri.getPath());
    return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(located).build();
  }

  private static String detail(WebApplicationException e, String title) {
    String message = e.getMessage();
    // JAX-RS fills the message with "HTTP 404 Not Found" when none was given: say nothing new.
    return message == null || message.startsWith("HTTP ") ? title : message;
  }

  private static String field(ConstraintViolation<?> violation) {
    // Drop the method and parameter nodes ("create.request.") so the path names the JSON field.
    return StreamSupport.stream(violation.getPropertyPath().spliterator(), false)
        .filter(
            n ->
                n.getKind() == ElementKind.PROPERTY
                    || n.getKind() == ElementKind.CONTAINER_ELEMENT
                    || (n.getKind() == ElementKind.PARAMETER && !isBody(violation)))
        .map(ProblemMappers::segment)
        .filter(name -> !name.isEmpty())
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  private static String segment(Path.Node node) {
    String name = node.getName() == null || node.getName().startsWith("<") ? "" : node.getName();
    Integer index = node.getIndex();
    return index == null ? name : name + "[" + index + "]";
  }

  private static boolean isBody(ConstraintViolation<?> violation) {
    return StreamSupport.stream(violation.getPropertyPath().spliterator(), false)
        .anyMatch(n -> n.getKind() == ElementKind.PROPERTY);
  }

  private static List<ElementKind> kinds(Path path) {
    return StreamSupport.stream(path.spliterator(), false).map(Path.Node::getKind).toList();
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  /**
   * The value a client must send: {@code @JsonValue}, else {@code @JsonProperty}, else the name.
   */
  private static String enumName(Class<?> type, Object constant) {
    try {
      for (var method : type.getMethods()) {
        if (method.isAnnotationPresent(com.fasterxml.jackson.annotation.JsonValue.class)
            && method.getParameterCount() == 0) {
          return String.valueOf(method.invoke(constant));
        }
      }
      var property =
          type.getField(((Enum<?>) constant).name())
              .getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
      return property != null ? property.value() : ((Enum<?>) constant).name();
    } catch (ReflectiveOperationException e) {
      return constant.toString();
    }
  }

  private static String describe(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (List.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (type == UUID.class) {
      return "a UUID";
    }
    if (type.getName().startsWith("java.time")) {
      return "an ISO-8601 " + type.getSimpleName();
    }
    return "an object";
  }
}
