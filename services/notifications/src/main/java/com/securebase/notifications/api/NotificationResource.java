package com.securebase.notifications.api;

import com.securebase.notifications.api.NotificationViews.BulkOutcome;
import com.securebase.notifications.api.NotificationViews.BulkRequest;
import com.securebase.notifications.api.NotificationViews.PageView;
import com.securebase.notifications.api.NotificationViews.UnreadCount;
import com.securebase.notifications.api.NotificationViews.View;
import com.securebase.notifications.domain.Inbox;
import com.securebase.notifications.domain.NotificationType;
import com.securebase.notifications.persistence.NotificationSearch;
import com.securebase.problem.KeysetCursor;
import com.securebase.problem.NotFoundProblem;
import com.securebase.problem.ProblemException;
import com.securebase.problem.RequestParams;
import com.securebase.tenancy.CurrentCaller;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * The caller's own inbox. Another user's or tenant's notification is a 404, exactly like an id that
 * does not exist.
 */
@Path("/v1/notifications")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class NotificationResource {
  @Inject CurrentCaller caller;
  @Inject Inbox inbox;

  @GET
  public Uni<PageView> list(
      @QueryParam("type") String type,
      @QueryParam("read") String read,
      @QueryParam("sort") String sort,
      @QueryParam("cursor") @Size(max = KeysetCursor.MAX_LENGTH) String cursor,
      @QueryParam("limit") @DefaultValue("25") String limit) {
    return inbox
        .list(
            caller.get(),
            type(type),
            read == null ? null : bool("read", read),
            NotificationSearch.Sort.parse(sort),
            cursor,
            limit(limit))
        .map(page -> new PageView(page.items().stream().map(View::of).toList(), page.nextCursor()));
  }

  @GET
  @Path("/unread-count")
  public Uni<UnreadCount> unreadCount() {
    return inbox.unreadCount(caller.get()).map(UnreadCount::new);
  }

  @GET
  @Path("/{id}")
  public Uni<View> get(@PathParam("id") String id) {
    return inbox.get(caller.get(), id(id)).map(View::of);
  }

  @POST
  @Path("/{id}/read")
  public Uni<View> read(@PathParam("id") String id) {
    return inbox.mark(caller.get(), id(id), true).map(View::of);
  }

  @POST
  @Path("/{id}/unread")
  public Uni<View> unread(@PathParam("id") String id) {
    return inbox.mark(caller.get(), id(id), false).map(View::of);
  }

  @DELETE
  @Path("/{id}")
  public Uni<Response> delete(@PathParam("id") String id) {
    return inbox.delete(caller.get(), id(id)).map(o -> Response.noContent().build());
  }

  /** Marks all the caller's unread notifications read ({@code ?type=} narrows it to one type). */
  @POST
  @Path("/read-all")
  public Uni<BulkOutcome> readAll(@QueryParam("type") String type) {
    return inbox
        .readAll(caller.get(), type(type))
        .map(o -> new BulkOutcome("read", o.changed(), o.unreadCount()));
  }

  /** One action on up to 100 of the caller's notifications, all or nothing. */
  @POST
  @Path("/bulk")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<BulkOutcome> bulk(@NotNull @Valid BulkRequest body) {
    return inbox
        .bulk(caller.get(), body.action(), body.ids())
        .map(o -> new BulkOutcome(body.action().code(), o.changed(), o.unreadCount()));
  }

  private static NotificationType type(String type) {
    return type == null ? null : RequestParams.oneOf("type", type, NotificationType.class);
  }

  /** Taken as text: a JAX-RS int parameter that does not parse would be a bare 404. */
  private static int limit(String limit) {
    try {
      int value = Integer.parseInt(limit);
      if (value >= 1 && value <= 100) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ProblemException.invalidField("limit", "must be a whole number from 1 to 100");
  }

  private static boolean bool(String field, String value) {
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ProblemException.invalidField(field, "must be true or false");
    };
  }

  /** A malformed id cannot name anything the caller owns: the same 404 as an unknown one. */
  private static UUID id(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new NotFoundProblem("Notification", id);
    }
  }
}
