package com.securebase.webhooks.api;

import com.securebase.problem.KeysetCursor;
import com.securebase.problem.RequestParams;
import com.securebase.tenancy.CurrentCaller;
import com.securebase.tenancy.Roles;
import com.securebase.webhooks.api.WebhookRequests.AttemptView;
import com.securebase.webhooks.api.WebhookRequests.DeliveryView;
import com.securebase.webhooks.api.WebhookRequests.MessageView;
import com.securebase.webhooks.api.WebhookRequests.Page;
import com.securebase.webhooks.api.WebhookRequests.Requeued;
import com.securebase.webhooks.domain.MessageLog;
import com.securebase.webhooks.domain.MessageLog.DeadLetter;
import com.securebase.webhooks.domain.MessageLog.Filter;
import com.securebase.webhooks.persistence.Message;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;

/** The delivery log of the caller's tenant: messages, their attempts, dead letters; resend. */
@Path("/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OWNER, Roles.ADMIN})
public class MessageResource {
  @Inject CurrentCaller caller;
  @Inject MessageLog log;

  @GET
  @Path("/messages")
  public Uni<Page<MessageView>> messages(
      @QueryParam("eventType") @Size(max = 200) String eventType,
      @QueryParam("endpointId") String endpointId,
      @QueryParam("since") String since,
      @QueryParam("cursor") @Size(max = KeysetCursor.MAX_LENGTH) String cursor,
      @QueryParam("limit") @DefaultValue("25") @Min(1) @Max(100) int limit) {
    Filter f = filter(eventType, endpointId, since, Page.after(cursor, Page.NEWEST), limit);
    return log.messages(caller.get(), f)
        .map(
            found ->
                Page.of(
                    found,
                    limit,
                    (Message m) -> MessageView.of(m, null),
                    m -> KeysetCursor.of(Page.NEWEST, m.id, m.createdAt)));
  }

  @GET
  @Path("/messages/{id}")
  public Uni<MessageView> message(@PathParam("id") UUID id) {
    return log.message(caller.get(), id)
        .map(
            found ->
                MessageView.of(
                    found.message(),
                    found.deliveries().stream()
                        .map(d -> DeliveryView.of(d, found.message().eventType))
                        .toList()));
  }

  @GET
  @Path("/messages/{id}/attempts")
  public Uni<List<AttemptView>> attempts(@PathParam("id") UUID id) {
    return log.attempts(caller.get(), id).map(as -> as.stream().map(AttemptView::of).toList());
  }

  /** {@code ?endpointId=} resends to that endpoint only. */
  @POST
  @Path("/messages/{id}/resend")
  public Uni<Response> resend(
      @PathParam("id") UUID id, @QueryParam("endpointId") String endpointId) {
    return log.resend(caller.get(), id, RequestParams.uuid("endpointId", endpointId))
        .map(n -> Response.accepted(new Requeued(n)).build());
  }

  @GET
  @Path("/dead-letters")
  public Uni<Page<DeliveryView>> deadLetters(
      @QueryParam("eventType") @Size(max = 200) String eventType,
      @QueryParam("endpointId") String endpointId,
      @QueryParam("since") String since,
      @QueryParam("cursor") @Size(max = KeysetCursor.MAX_LENGTH) String cursor,
      @QueryParam("limit") @DefaultValue("25") @Min(1) @Max(100) int limit) {
    Filter f = filter(eventType, endpointId, since, Page.after(cursor, Page.NEWEST_DEAD), limit);
    return log.deadLetters(caller.get(), f)
        .map(
            found ->
                Page.of(
                    found,
                    limit,
                    (DeadLetter d) -> DeliveryView.of(d.delivery(), d.eventType()),
                    d ->
                        KeysetCursor.of(
                            Page.NEWEST_DEAD, d.delivery().id, d.delivery().deadLetteredAt)));
  }

  private static Filter filter(
      String eventType, String endpointId, String since, KeysetCursor after, int limit) {
    return new Filter(
        eventType,
        RequestParams.uuid("endpointId", endpointId),
        RequestParams.time("since", since),
        after == null ? null : after.offsetDateTime(0),
        after == null ? null : after.id(),
        limit);
  }
}
