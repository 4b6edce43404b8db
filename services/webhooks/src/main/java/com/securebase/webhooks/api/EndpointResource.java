package com.securebase.webhooks.api;

import com.securebase.problem.KeysetCursor;
import com.securebase.tenancy.Caller;
import com.securebase.tenancy.CurrentCaller;
import com.securebase.tenancy.Roles;
import com.securebase.tenancy.TenantTransactions;
import com.securebase.webhooks.api.WebhookRequests.CreateEndpoint;
import com.securebase.webhooks.api.WebhookRequests.EndpointView;
import com.securebase.webhooks.api.WebhookRequests.EndpointWithSecret;
import com.securebase.webhooks.api.WebhookRequests.Page;
import com.securebase.webhooks.api.WebhookRequests.Recover;
import com.securebase.webhooks.api.WebhookRequests.Requeued;
import com.securebase.webhooks.api.WebhookRequests.SecretRotated;
import com.securebase.webhooks.api.WebhookRequests.TestSent;
import com.securebase.webhooks.api.WebhookRequests.UpdateEndpoint;
import com.securebase.webhooks.domain.Endpoints;
import com.securebase.webhooks.persistence.Endpoint;
import com.securebase.webhooks.persistence.Message;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;

/**
 * Webhook endpoints of the caller's tenant (owners and admins). The signing secret is shown when
 * the endpoint is created and when it is rotated, never otherwise.
 */
@Path("/v1/webhooks/endpoints")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OWNER, Roles.ADMIN})
public class EndpointResource {
  @Inject CurrentCaller caller;
  @Inject Endpoints endpoints;
  @Inject TenantTransactions tx;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Response> create(@NotNull @Valid CreateEndpoint body) {
    return endpoints
        .create(
            caller.get(),
            body.url(),
            body.description(),
            body.eventTypes(),
            body.enabled(),
            body.rateLimitPerSecond())
        .map(
            e ->
                Response.created(URI.create("/v1/webhooks/endpoints/" + e.id))
                    .entity(new EndpointWithSecret(EndpointView.of(e), e.secret, null))
                    .build());
  }

  @GET
  public Uni<Page<EndpointView>> list(
      @QueryParam("cursor") @Size(max = KeysetCursor.MAX_LENGTH) String cursor,
      @QueryParam("limit") @DefaultValue("25") @Min(1) @Max(100) int limit) {
    Caller who = caller.get();
    KeysetCursor after = Page.after(cursor, Page.NEWEST);
    return tx.inTenant(
            who.tenantId(),
            s ->
                Endpoint.<Endpoint>find(
                        "tenantId = ?1"
                            + (after == null
                                ? ""
                                : " and (createdAt < ?2 or (createdAt = ?2 and id < ?3))")
                            + " order by createdAt desc, id desc",
                        after == null
                            ? new Object[] {who.tenantId()}
                            : new Object[] {who.tenantId(), after.offsetDateTime(0), after.id()})
                    .page(0, limit + 1)
                    .list())
        .map(
            found ->
                Page.of(
                    found,
                    limit,
                    EndpointView::of,
                    e -> KeysetCursor.of(Page.NEWEST, e.id, e.createdAt)));
  }

  @GET
  @Path("/{id}")
  public Uni<EndpointView> get(@PathParam("id") UUID id) {
    return endpoints.get(caller.get(), id).map(EndpointView::of);
  }

  @PATCH
  @Path("/{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<EndpointView> update(@PathParam("id") UUID id, @NotNull @Valid UpdateEndpoint body) {
    return endpoints
        .update(
            caller.get(),
            id,
            new Endpoints.Change(
                body.url(),
                body.description(),
                body.eventTypes(),
                body.enabled(),
                body.rateLimitPerSecond()))
        .map(EndpointView::of);
  }

  @DELETE
  @Path("/{id}")
  public Uni<Response> delete(@PathParam("id") UUID id) {
    return endpoints.delete(caller.get(), id).map(v -> Response.noContent().build());
  }

  @POST
  @Path("/{id}/rotate-secret")
  public Uni<SecretRotated> rotateSecret(@PathParam("id") UUID id) {
    return endpoints
        .rotateSecret(caller.get(), id)
        .map(e -> new SecretRotated(e.secret, e.previousSecretExpiresAt));
  }

  @POST
  @Path("/{id}/test")
  public Uni<Response> sendTest(@PathParam("id") UUID id) {
    return endpoints
        .sendTest(caller.get(), id)
        .map(
            m ->
                Response.accepted(new TestSent(m.id, Message.webhookId(m.id)))
                    .location(URI.create("/v1/webhooks/messages/" + m.id))
                    .build());
  }

  @POST
  @Path("/{id}/recover")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Response> recover(@PathParam("id") UUID id, @NotNull @Valid Recover body) {
    return endpoints
        .recover(caller.get(), id, body.since())
        .map(n -> Response.accepted(new Requeued(n)).build());
  }
}
