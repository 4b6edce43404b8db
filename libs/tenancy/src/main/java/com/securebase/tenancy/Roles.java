package com.securebase.tenancy;

import java.util.Set;

/** The six roles a user holds in a tenant (JWT {@code groups}). */
public final class Roles {
  public static final String OWNER = "owner";
  public static final String ADMIN = "admin";
  public static final String BILLING = "billing";
  public static final String ANALYST = "analyst";
  public static final String SUPPORT = "support";
  public static final String VIEWER = "viewer";

  public static final Set<String> ALL = Set.of(OWNER, ADMIN, BILLING, ANALYST, SUPPORT, VIEWER);

  private Roles() {}
}
