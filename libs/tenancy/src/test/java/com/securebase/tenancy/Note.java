package com.securebase.tenancy;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import java.util.UUID;

@Entity
public class Note extends PanacheEntityBase {
  @Id public UUID id;

  @Column(name = "tenant_id")
  public UUID tenantId;

  public String body;

  static Note of(UUID tenantId, String body) {
    Note note = new Note();
    note.id = UUID.randomUUID();
    note.tenantId = tenantId;
    note.body = body;
    return note;
  }
}
