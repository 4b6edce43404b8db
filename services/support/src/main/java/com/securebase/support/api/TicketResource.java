package com.securebase.support.api;

import com.securebase.problem.KeysetCursor;
import com.securebase.problem.ProblemException;
import com.securebase.problem.RequestParams;
import com.securebase.support.api.TicketRequests.CommentView;
import com.securebase.support.api.TicketRequests.Create;
import com.securebase.support.api.TicketRequests.NewComment;
import com.securebase.support.api.TicketRequests.PageView;
import com.securebase.support.api.TicketRequests.Update;
import com.securebase.support.api.TicketRequests.View;
import com.securebase.support.api.TicketRequests.Visibility;
import com.securebase.support.domain.Priority;
import com.securebase.support.domain.TicketStatus;
import com.securebase.support.domain.Tickets;
import com.securebase.support.persistence.Ticket;
import com.securebase.support.persistence.TicketSearch;
import com.securebase.tenancy.Caller;
import com.securebase.tenancy.CurrentCaller;
import com.securebase.tenancy.TenantTransactions;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * Support tickets of the caller's tenant. Responses carry the ticket's version as a strong ETag;
 * {@code PATCH} with {@code If-Match} refuses a stale write with 412.
 */
@Path("/v1/support/tickets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class TicketResource {
  @Inject CurrentCaller caller;
  @Inject Tickets tickets;
  @Inject TenantTransactions tx;

  @POST
  public Uni<Response> create(@NotNull @Valid Create body) {
    return tickets
        .create(
            caller.get(),
            body.subject(),
            body.description(),
            body.priority(),
            body.category(),
            body.tags(),
            body.assigneeId(),
            body.requesterId())
        .map(
            t ->
                Response.created(URI.create("/v1/support/tickets/" + t.id))
                    .tag(etag(t))
                    .entity(View.of(t, tickets.now(), List.of()))
                    .build());
  }

  @GET
  public Uni<PageView> list(
      @QueryParam("status") String status,
      @QueryParam("priority") String priority,
      @QueryParam("assignee") String assignee,
      @QueryParam("tag") @Size(max = 64) String tag,
      @QueryParam("q") @Size(min = 1, max = 200) String q,
      @QueryParam("sort") String sort,
      @QueryParam("cursor") @Size(max = KeysetCursor.MAX_LENGTH) String cursor,
      @QueryParam("limit") @DefaultValue("25") @Min(1) @Max(100) int limit) {
    Caller who = caller.get();
    boolean staff = Tickets.isStaff(who);
    String query = q == null || q.isBlank() ? null : q.trim();
    TicketSearch.Query search =
        new TicketSearch.Query(
            who.tenantId(),
            RequestParams.oneOf("status", status, TicketStatus.class),
            RequestParams.oneOf("priority", priority, Priority.class),
            RequestParams.uuid("assignee", assignee),
            tag,
            query,
            TicketSearch.Sort.parse(sort, query != null),
            cursor,
            limit,
            staff ? null : Tickets.actorId(who),
            staff);
    return tx.inTenant(who.tenantId(), s -> TicketSearch.page(s, search))
        .map(
            page ->
                new PageView(
                    page.items().stream().map(t -> View.of(t, tickets.now(), null)).toList(),
                    page.nextCursor()));
  }

  @GET
  @Path("/{id}")
  public Uni<Response> get(@PathParam("id") UUID id) {
    return tickets
        .get(caller.get(), id)
        .map(
            found ->
                Response.ok(View.of(found.ticket(), tickets.now(), found.comments()))
                    .tag(etag(found.ticket()))
                    .build());
  }

  @PATCH
  @Path("/{id}")
  public Uni<Response> update(
      @PathParam("id") UUID id,
      @HeaderParam("If-Match") String ifMatch,
      @NotNull @Valid Update body) {
    Tickets.Change change =
        new Tickets.Change(
            body.subject(),
            body.description(),
            body.priority(),
            body.category(),
            body.status(),
            body.assigneeId(),
            Boolean.TRUE.equals(body.unassign()),
            body.tags());
    return tickets
        .update(caller.get(), id, expectedVersion(ifMatch), change)
        .map(t -> Response.ok(View.of(t, tickets.now(), null)).tag(etag(t)).build());
  }

  @POST
  @Path("/{id}/comments")
  public Uni<Response> comment(@PathParam("id") UUID id, @NotNull @Valid NewComment body) {
    return tickets
        .comment(caller.get(), id, body.body(), body.visibility() == Visibility.INTERNAL)
        .map(
            c ->
                Response.created(URI.create("/v1/support/tickets/" + id + "/comments/" + c.id))
                    .entity(CommentView.of(c))
                    .build());
  }

  @GET
  @Path("/{id}/comments")
  public Uni<List<CommentView>> comments(@PathParam("id") UUID id) {
    return tickets
        .comments(caller.get(), id)
        .map(list -> list.stream().map(CommentView::of).toList());
  }

  private static EntityTag etag(Ticket t) {
    return new EntityTag(Integer.toString(t.version));
  }

  /** {@code "3"}, {@code W/"3"} or {@code *} (any version); anything else is a 400. */
  static Integer expectedVersion(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
      return null;
    }
    String v = ifMatch.trim();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ProblemException(
          400,
          "invalid-if-match",
          "Invalid If-Match",
          "If-Match must be the ticket's ETag (its version), for example \"3\"");
    }
  }
}
