package com.securebase.analytics.domain;

import java.util.List;

/** Keeps points whose field equals one of {@code values} ({@code equals} is one value). */
public record Filter(Field field, List<String> values) {
  public Filter {
    values = List.copyOf(values);
  }
}
