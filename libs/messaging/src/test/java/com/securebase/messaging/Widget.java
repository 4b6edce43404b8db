package com.securebase.messaging;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import java.util.UUID;

@Entity
public class Widget extends PanacheEntityBase {
  @Id public UUID id;

  @Column(name = "tenant_id")
  public UUID tenantId;

  public String name;
}
