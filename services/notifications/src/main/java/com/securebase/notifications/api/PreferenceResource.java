package com.securebase.notifications.api;

import com.securebase.notifications.api.NotificationViews.PreferencesUpdate;
import com.securebase.notifications.api.NotificationViews.PreferencesView;
import com.securebase.notifications.domain.Preferences;
import com.securebase.tenancy.CurrentCaller;
import com.securebase.tenancy.Roles;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Channel preferences: the caller's own, and the tenant's defaults (owners and admins). A PUT
 * changes only the cells it names; {@code null} for a cell removes that choice, so the next level
 * (tenant default, then built-in default) applies again.
 */
@Path("/v1/preferences")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class PreferenceResource {
  @Inject CurrentCaller caller;
  @Inject Preferences preferences;

  @GET
  public Uni<PreferencesView> mine() {
    return preferences.ofUser(caller.get()).map(PreferencesView::of);
  }

  @PUT
  public Uni<PreferencesView> change(@NotNull @Valid PreferencesUpdate body) {
    return preferences
        .changeForUser(caller.get(), Preferences.parse(body.preferences()))
        .map(PreferencesView::of);
  }

  @GET
  @Path("/defaults")
  @RolesAllowed({Roles.OWNER, Roles.ADMIN})
  public Uni<PreferencesView> defaults() {
    return preferences.defaults(caller.get()).map(PreferencesView::of);
  }

  @PUT
  @Path("/defaults")
  @RolesAllowed({Roles.OWNER, Roles.ADMIN})
  public Uni<PreferencesView> changeDefaults(@NotNull @Valid PreferencesUpdate body) {
    return preferences
        .changeDefaults(caller.get(), Preferences.parse(body.preferences()))
        .map(PreferencesView::of);
  }
}
