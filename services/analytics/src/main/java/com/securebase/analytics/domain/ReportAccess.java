package com.securebase.analytics.domain;

import com.securebase.tenancy.Roles;
import java.util.List;
import java.util.Set;

/**
 * What a caller may do with a report: its creator and the tenant's owners and admins manage it
 * (edit, delete, share, schedule); a share gives a user, or everyone with a role, view or edit.
 * Without any of these the report does not exist for the caller (404, as another tenant's).
 */
public enum ReportAccess {
  NONE,
  VIEW,
  EDIT,
  MANAGE;

  public record Share(String principalType, String principal, String permission) {}

  public static ReportAccess of(
      String subject, Set<String> roles, String createdBy, List<Share> shares) {
    if (subject.equals(createdBy) || roles.contains(Roles.OWNER) || roles.contains(Roles.ADMIN)) {
      return MANAGE;
    }
    ReportAccess best = NONE;
    for (Share s : shares) {
      boolean mine =
          s.principalType().equals("user")
              ? s.principal().equals(subject)
              : roles.contains(s.principal());
      if (mine) {
        ReportAccess a = s.permission().equals("edit") ? EDIT : VIEW;
        best = a.compareTo(best) > 0 ? a : best;
      }
    }
    return best;
  }

  public boolean atLeast(ReportAccess wanted) {
    return compareTo(wanted) >= 0;
  }

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
