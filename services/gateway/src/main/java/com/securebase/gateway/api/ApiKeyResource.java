package com.securebase.gateway.api;

import com.securebase.gateway.domain.ApiKeySecret;
import com.securebase.gateway.domain.EdgeAuthenticator;
import com.securebase.gateway.domain.Sessions;
import com.securebase.gateway.messaging.GatewayEvents;
import com.securebase.gateway.persistence.ApiKey;
import com.securebase.messaging.AuditTrail.Actor;
import com.securebase.problem.NotFoundProblem;
import com.securebase.tenancy.Caller;
import com.securebase.tenancy.CurrentCaller;
import com.securebase.tenancy.Roles;
import com.securebase.tenancy.TenantTransactions;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** API keys of the caller's tenant: the secret is returned once, at creation, and never again. */
@Path("/v1/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OWNER, Roles.ADMIN})
public class ApiKeyResource {
  @Inject CurrentCaller caller;
  @Inject TenantTransactions tx;
  @Inject GatewayEvents events;
  @Inject Sessions sessions;
  @Inject EdgeAuthenticator edge;

  public record Create(
      @NotBlank @Size(max = 100) String name,
      @NotEmpty @Size(max = 6) Set<@RoleName String> scopes,
      @Future OffsetDateTime expiresAt) {}

  // Nested in Created.
  @RegisterForReflection
  public record View(
      UUID id,
      String name,
      String prefix,
      String last4,
      List<String> scopes,
      OffsetDateTime expiresAt,
      OffsetDateTime revokedAt,
      OffsetDateTime lastUsedAt,
      String createdBy,
      OffsetDateTime createdAt) {
    static View of(ApiKey k) {
      return new View(
          k.id,
          k.name,
          k.prefix,
          k.last4,
          k.scopeList(),
          k.expiresAt,
          k.revokedAt,
          k.lastUsedAt,
          k.createdBy,
          k.createdAt);
    }
  }

  /** The creation answer: the listing view plus the secret, shown this once. */
  // Response.created entity of create.
  @RegisterForReflection
  public record Created(View key, String secret) {}

  @POST
  public Uni<Response> create(@NotNull @Valid Create body) {
    Caller actor = caller.get();
    ApiKeySecret secret = ApiKeySecret.generate();
    ApiKey key = new ApiKey();
    key.id = UUID.randomUUID();
    key.tenantId = actor.tenantId();
    key.name = body.name();
    key.secretHash = secret.sha256();
    key.prefix = secret.displayPrefix();
    key.last4 = secret.last4();
    key.scopes = String.join(",", body.scopes().stream().sorted().toList());
    key.expiresAt = body.expiresAt();
    key.createdBy = actor.subject();
    key.createdAt = OffsetDateTime.now();
    return tx.inTenant(
            actor.tenantId(),
            s -> key.<ApiKey>persist().call(() -> events.apiKey("created", key, Actor.of(actor))))
        .map(
            saved ->
                Response.created(URI.create("/v1/api-keys/" + saved.id))
                    .entity(new Created(View.of(saved), secret.value()))
                    .build());
  }

  @GET
  public Uni<List<View>> list() {
    return tx.inTenant(caller.tenantId(), s -> ApiKey.listNewestFirst(caller.tenantId()))
        .map(keys -> keys.stream().map(View::of).toList());
  }

  @GET
  @Path("/{id}")
  public Uni<View> get(@PathParam("id") UUID id) {
    return tx.inTenant(caller.tenantId(), s -> ApiKey.<ApiKey>findById(id))
        .onItem()
        .ifNull()
        .failWith(() -> new NotFoundProblem("API key", id))
        .map(View::of);
  }

  /** Revokes the key (idempotent); it stops working on this replica at once. */
  @DELETE
  @Path("/{id}")
  public Uni<View> revoke(@PathParam("id") UUID id) {
    Caller actor = caller.get();
    return tx.inTenant(
            actor.tenantId(),
            s ->
                ApiKey.<ApiKey>findById(id)
                    .onItem()
                    .ifNull()
                    .failWith(() -> new NotFoundProblem("API key", id))
                    .call(
                        k -> {
                          if (k.revokedAt != null) {
                            return Uni.createFrom().voidItem();
                          }
                          k.revokedAt = OffsetDateTime.now();
                          return events
                              .apiKey("revoked", k, Actor.of(actor))
                              .chain(
                                  () ->
                                      sessions.revokeAll(
                                          k.tenantId, k.id.toString(), "API key revoked"))
                              .replaceWithVoid();
                        }))
        .invoke(k -> edge.forgetKey(k.secretHash))
        .map(View::of);
  }
}
