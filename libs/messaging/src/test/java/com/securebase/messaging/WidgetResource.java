package com.securebase.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.securebase.catalog.EventCatalog;
import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.tenancy.TenantTransactions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.util.UUID;

/** A state change with its event, the way every service writes: one transaction, via the outbox. */
@Path("/widgets")
public class WidgetResource {
  static final String TYPE = "securebase.support.ticket.created";
  private final DomainEvents events = new DomainEvents("support");

  @Inject TenantTransactions tx;
  @Inject Outbox outbox;

  /**
   * @return the id of the event written with the widget
   */
  @POST
  public Uni<String> create(
      @QueryParam("tenant") UUID tenant,
      @QueryParam("name") String name,
      @QueryParam("fail") boolean failAfterWrite) {
    Widget widget = new Widget();
    widget.id = UUID.randomUUID();
    widget.tenantId = tenant;
    widget.name = name;
    ObjectNode data = EventCatalog.load().example(TYPE).deepCopy();
    data.put("tenantId", tenant.toString())
        .put("ticketId", widget.id.toString())
        .put("subject", name);
    EventEnvelope event = events.create(TYPE, tenant.toString(), widget.id.toString(), data);
    return tx.inTenant(
            tenant,
            session ->
                widget
                    .<Widget>persist()
                    .chain(() -> outbox.append(event))
                    .chain(
                        () ->
                            failAfterWrite
                                ? Uni.createFrom()
                                    .failure(new IllegalStateException("failing after the writes"))
                                : Uni.createFrom().voidItem()))
        .replaceWith(event.id());
  }

  /** Appending with a session but no transaction must fail loudly. */
  @GET
  @Path("/outside-transaction")
  public Uni<String> outsideTransaction() {
    EventEnvelope event =
        events.create(TYPE, UUID.randomUUID().toString(), null, EventCatalog.load().example(TYPE));
    return Panache.withSession(() -> outbox.append(event))
        .replaceWith("appended")
        .onFailure()
        .recoverWithItem(Throwable::getMessage);
  }
}
