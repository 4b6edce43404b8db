package com.securebase.gateway.api;

import com.securebase.gateway.domain.Users;
import com.securebase.tenancy.CurrentCaller;
import com.securebase.tenancy.Roles;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import java.util.List;
import java.util.UUID;

/**
 * The tenant's team: owners and admins invite, list, change roles and remove; every signed-in user
 * (including one holding only an MFA-enrolment token) reads their own profile and manages their own
 * TOTP device under {@code /me}.
 */
@Path("/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class UserResource {
  @Inject CurrentCaller caller;
  @Inject Users users;

  @POST
  @RolesAllowed({Roles.OWNER, Roles.ADMIN})
  public Uni<Response> invite(@NotNull @Valid UserViews.Invite body) {
    return users
        .invite(caller.get(), body.email(), body.displayName(), body.roles())
        .map(
            invited ->
                Response.created(URI.create("/v1/users/" + invited.user().id))
                    .entity(
                        new UserViews.Invitation(
                            UserViews.User.of(invited.user()),
                            invited.token(),
                            invited.expiresAt(),
                            "/v1/auth/invitations/accept"))
                    .build());
  }

  @GET
  @RolesAllowed({Roles.OWNER, Roles.ADMIN})
  public Uni<List<UserViews.User>> list(
      @QueryParam("status")
          @Pattern(
              regexp = "invited|active|removed",
              message = "must be invited, active or removed")
          String status) {
    return users
        .list(caller.get(), status)
        .map(all -> all.stream().map(UserViews.User::of).toList());
  }

  @GET
  @Path("/me")
  public Uni<UserViews.User> me() {
    return users.me(caller.get()).map(UserViews.User::of);
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.OWNER, Roles.ADMIN})
  public Uni<UserViews.User> get(@PathParam("id") UUID id) {
    return users.get(caller.get(), id).map(UserViews.User::of);
  }

  @PATCH
  @Path("/{id}")
  @RolesAllowed({Roles.OWNER, Roles.ADMIN})
  public Uni<UserViews.User> update(
      @PathParam("id") UUID id, @NotNull @Valid UserViews.Update body) {
    return users.update(caller.get(), id, body.roles(), body.displayName()).map(UserViews.User::of);
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed({Roles.OWNER, Roles.ADMIN})
  public Uni<UserViews.User> remove(@PathParam("id") UUID id) {
    return users.remove(caller.get(), id).map(UserViews.User::of);
  }

  /** Starts TOTP enrolment; the answer's secret/URI goes into the authenticator app. */
  @POST
  @Path("/me/mfa")
  @Consumes(MediaType.WILDCARD) // no body
  public Uni<UserViews.MfaEnrolment> startMfa() {
    return users
        .startMfa(caller.get())
        .map(e -> new UserViews.MfaEnrolment(e.secret(), e.otpauthUri()));
  }

  /** Confirms enrolment with a current code; answers the ten recovery codes, shown once. */
  @POST
  @Path("/me/mfa/confirm")
  public Uni<UserViews.RecoveryCodes> confirmMfa(@NotNull @Valid UserViews.Code body) {
    return users.confirmMfa(caller.get(), body.code()).map(UserViews.RecoveryCodes::new);
  }

  @POST
  @Path("/me/mfa/disable")
  public Uni<Void> disableMfa(@NotNull @Valid UserViews.Code body) {
    return users.disableMfa(caller.get(), body.code());
  }
}
