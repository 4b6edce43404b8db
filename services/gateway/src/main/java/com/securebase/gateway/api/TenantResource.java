package com.securebase.gateway.api;

import com.securebase.gateway.domain.EdgeAuthenticator;
import com.securebase.gateway.domain.IpAllowlist;
import com.securebase.gateway.messaging.GatewayEvents;
import com.securebase.gateway.persistence.Tenant;
import com.securebase.messaging.AuditTrail.Actor;
import com.securebase.problem.NotFoundProblem;
import com.securebase.problem.ProblemException;
import com.securebase.tenancy.Caller;
import com.securebase.tenancy.CurrentCaller;
import com.securebase.tenancy.Roles;
import com.securebase.tenancy.TenantTransactions;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Tenants: a platform admin creates them; a tenant's owner or admin reads and updates its own. Any
 * other tenant's id is a 404, exactly like an id that does not exist.
 */
@Path("/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class TenantResource {
  /** Role of the platform operators (tenant claim = {@link #PLATFORM_TENANT}). */
  public static final String PLATFORM_ADMIN = "platform_admin";

  public static final UUID PLATFORM_TENANT = new UUID(0, 0);

  @Inject CurrentCaller caller;
  @Inject TenantTransactions tx;
  @Inject GatewayEvents events;
  @Inject EdgeAuthenticator edge;

  @POST
  @RolesAllowed(PLATFORM_ADMIN)
  public Uni<Response> create(@NotNull @Valid TenantRequests.Create body) {
    Caller admin = caller.get();
    if (!PLATFORM_TENANT.equals(admin.tenantId())) {
      return Uni.createFrom().failure(forbidden());
    }
    Tenant t = Tenant.create(UUID.randomUUID(), body.name(), body.tier().code());
    body.branding().applyTo(t);
    t.ipAllowlist = validAllowlist(body.ipAllowlist());
    t.mfaRequired = Boolean.TRUE.equals(body.mfaRequired());
    if (body.sessionLengthMinutes() != null) {
      t.sessionMinutes = body.sessionLengthMinutes();
    }
    if (body.taxRate() != null) {
      t.taxRate = body.taxRate();
    }
    return tx.inTenant(
            t.tenantId,
            s ->
                t.<Tenant>persist()
                    .call(() -> events.tenant("created", t, List.of(), Actor.of(admin))))
        .map(
            saved ->
                Response.created(URI.create("/v1/tenants/" + saved.tenantId))
                    .entity(TenantRequests.View.of(saved))
                    .build());
  }

  @GET
  @Path("/{id}")
  public Uni<TenantRequests.View> get(@PathParam("id") UUID id) {
    return tx.inTenant(caller.tenantId(), s -> Tenant.<Tenant>findById(id))
        .onItem()
        .ifNull()
        .failWith(() -> new NotFoundProblem("Tenant", id))
        .map(TenantRequests.View::of);
  }

  @PATCH
  @Path("/{id}")
  @RolesAllowed({Roles.OWNER, Roles.ADMIN})
  public Uni<TenantRequests.View> update(
      @PathParam("id") UUID id, @NotNull @Valid TenantRequests.Update body) {
    Caller actor = caller.get();
    return tx.inTenant(
            actor.tenantId(),
            s ->
                Tenant.<Tenant>findById(id)
                    .onItem()
                    .ifNull()
                    .failWith(() -> new NotFoundProblem("Tenant", id))
                    .call(
                        t -> {
                          List<String> changes = new ArrayList<>();
                          if (body.name() != null && !body.name().equals(t.name)) {
                            t.name = body.name();
                            changes.add("name");
                          }
                          if (body.tier() != null && !body.tier().code().equals(t.tier)) {
                            t.tier = body.tier().code();
                            changes.add("tier");
                          }
                          if (body.branding() != null) {
                            body.branding().applyTo(t);
                            changes.add("branding");
                          }
                          if (body.ipAllowlist() != null) {
                            t.ipAllowlist = validAllowlist(body.ipAllowlist());
                            changes.add("ipAllowlist");
                          }
                          if (body.mfaRequired() != null && body.mfaRequired() != t.mfaRequired) {
                            t.mfaRequired = body.mfaRequired();
                            changes.add("mfaRequired");
                          }
                          if (body.sessionLengthMinutes() != null
                              && body.sessionLengthMinutes() != t.sessionMinutes) {
                            t.sessionMinutes = body.sessionLengthMinutes();
                            changes.add("sessionLengthMinutes");
                          }
                          if (body.taxRate() != null && body.taxRate().compareTo(t.taxRate) != 0) {
                            t.taxRate = body.taxRate();
                            changes.add("taxRate");
                          }
                          if (changes.isEmpty()) {
                            return Uni.createFrom().voidItem();
                          }
                          t.updatedAt = Instant.now();
                          t.version++;
                          return events.tenant("updated", t, changes, Actor.of(actor));
                        }))
        .invoke(t -> edge.forgetTenant(t.tenantId))
        .map(TenantRequests.View::of);
  }

  static String validAllowlist(List<String> cidrs) {
    if (cidrs == null) {
      return "";
    }
    try {
      IpAllowlist.parse(cidrs);
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalidField("ipAllowlist", e.getMessage());
    }
    return String.join(",", cidrs.stream().map(String::trim).toList());
  }

  private static ProblemException forbidden() {
    return new ProblemException(
        403, "forbidden", "Forbidden", "Only platform administrators create tenants");
  }
}
