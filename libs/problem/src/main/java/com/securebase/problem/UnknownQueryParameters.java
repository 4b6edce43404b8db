package com.securebase.problem;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a query parameter the operation does not declare, with a 400 naming it. Ignored, a
 * misspelt filter ({@code ?stauts=open}) would answer a list the caller did not ask for, and a
 * client would never learn that a parameter it relies on is not supported. The declared names are
 * read from the resource method once.
 */
public class UnknownQueryParameters {
  private final Map<Method, Set<String>> declared = new ConcurrentHashMap<>();

  @ServerRequestFilter
  public void refuseUndeclared(ContainerRequestContext request, ResourceInfo resource) {
    Method method = resource.getResourceMethod();
    if (method == null) {
      return;
    }
    Set<String> names = request.getUriInfo().getQueryParameters().keySet();
    if (names.isEmpty()) {
      return;
    }
    Set<String> allowed = declared.computeIfAbsent(method, UnknownQueryParameters::queryNames);
    if (allowed.containsAll(names)) {
      return; // the common case: nothing to copy or sort
    }
    Set<String> unknown = new TreeSet<>(names);
    unknown.removeAll(allowed);
    throw new ProblemException(
        400,
        "unknown-parameter",
        "The request has an unknown query parameter",
        "Query parameter(s) "
            + String.join(", ", unknown)
            + " are not part of this operation"
            + (allowed.isEmpty() ? ", which takes none" : "; it takes " + sorted(allowed)),
        Map.of(
            "errors",
            unknown.stream().map(name -> new FieldError(name, "unknown parameter")).toList()));
  }

  private static Set<String> queryNames(Method method) {
    Set<String> names = new HashSet<>();
    for (Annotation[] annotations : method.getParameterAnnotations()) {
      for (Annotation annotation : annotations) {
        if (annotation instanceof QueryParam query) {
          names.add(query.value());
        }
      }
    }
    return Set.copyOf(names);
  }

  private static String sorted(Set<String> names) {
    return String.join(", ", List.copyOf(new TreeSet<>(names)));
  }
}
