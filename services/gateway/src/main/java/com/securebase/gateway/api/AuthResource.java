package com.securebase.gateway.api;

import com.securebase.gateway.config.SigningKeys;
import com.securebase.gateway.domain.EdgeAuthenticator;
import com.securebase.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Exchanges credentials for a signed access token; publishes the verification keys. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {
  @Inject EdgeAuthenticator edge;
  @Inject SigningKeys keys;

  public record Authenticate(@NotBlank @Size(max = 200) String apiKey) {}

  public record TokenResponse(String accessToken, String tokenType, long expiresIn) {}

  @POST
  @Path("/v1/auth/authenticate")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<TokenResponse> authenticate(@NotNull @Valid Authenticate body) {
    return edge.apiKey(body.apiKey())
        .map(
            credentials ->
                credentials
                    .map(
                        c ->
                            new TokenResponse(
                                c.accessToken(),
                                "Bearer",
                                Math.max(
                                    0,
                                    Duration.between(Instant.now(), c.tokenExpiresAt())
                                        .toSeconds())))
                    .orElseThrow(
                        () ->
                            new ProblemException(
                                401,
                                "invalid-credentials",
                                "Invalid credentials",
                                "The API key is unknown, revoked or expired")));
  }

  @GET
  @Path("/.well-known/jwks.json")
  public Map<String, Object> jwks() {
    return keys.jwks();
  }
}
