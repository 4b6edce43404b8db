package com.securebase.tenancy;

import com.securebase.problem.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 401/403 as problem+json. Services run with {@code quarkus.http.auth.proactive=false}, so a
 * missing, expired, tampered or wrongly-issued token reaches these mappers instead of an empty 401.
 */
public class SecurityProblemMappers {

  @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
  public Response unauthorized(RuntimeException e, UriInfo uri) {
    return Response.status(401)
        .type(Problem.MEDIA_TYPE)
        .header("WWW-Authenticate", "Bearer realm=\"securebase\"")
        .entity(
            new Problem(
                Problem.type("unauthorized"),
                "Unauthorized",
                401,
                "A valid bearer token is required",
                uri.getPath(),
                Map.of()))
        .build();
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e, UriInfo uri) {
    return Response.status(403)
        .type(Problem.MEDIA_TYPE)
        .entity(
            new Problem(
                Problem.type("forbidden"),
                "Forbidden",
                403,
                "Your roles do not allow this action",
                uri.getPath(),
                Map.of()))
        .build();
  }
}
