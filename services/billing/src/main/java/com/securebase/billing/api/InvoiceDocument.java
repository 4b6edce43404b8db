package com.securebase.billing.api;

import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.FontFactory;
import com.lowagie.text.Image;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import com.securebase.billing.domain.Money;
import com.securebase.billing.persistence.Accounts.Account;
import com.securebase.billing.persistence.InvoiceStore.CreditNoteRow;
import com.securebase.billing.persistence.InvoiceStore.InvoiceRow;
import com.securebase.billing.persistence.InvoiceStore.LineRow;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The PDF of an invoice or credit note in the tenant's branding: its display name, its colour for
 * the header and table rules, and its logo when the logo could be fetched (else the name alone).
 * Blocking (OpenPDF): callers run it on a worker thread.
 */
final class InvoiceDocument {
  private InvoiceDocument() {}

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);
  private static final Color DEFAULT_COLOR = new Color(0x1F, 0x4E, 0x79);

  static byte[] invoice(Account account, byte[] logo, InvoiceRow i, List<LineRow> lines) {
    return render(
        account,
        logo,
        "Invoice " + i.number(),
        i,
        doc -> {
          Color brand = color(account);
          PdfPTable table = new PdfPTable(new float[] {6, 2, 2});
          table.setWidthPercentage(100);
          header(table, brand, "Description", "Quantity", "Amount (" + i.currency() + ")");
          for (LineRow l : lines) {
            table.addCell(cell(l.description(), Element.ALIGN_LEFT, false));
            table.addCell(
                cell(
                    l.quantity() == null ? "" : Money.quantityText(l.quantity()),
                    Element.ALIGN_RIGHT,
                    false));
            table.addCell(cell(Money.text(l.amount()), Element.ALIGN_RIGHT, false));
          }
          total(table, "Subtotal", Money.text(i.subtotal()), false);
          total(table, "Volume discount", "-" + Money.text(i.discount()), false);
          total(
              table,
              "Tax (" + i.taxRate().movePointRight(2).stripTrailingZeros().toPlainString() + "%)",
              Money.text(i.tax()),
              false);
          total(table, "Total", Money.text(i.total()), true);
          doc.add(table);
        });
  }

  static byte[] creditNote(Account account, byte[] logo, InvoiceRow i, CreditNoteRow c) {
    return render(
        account,
        logo,
        "Credit note " + c.number(),
        i,
        doc -> {
          doc.add(new Paragraph("Credits invoice " + i.number() + ". Reason: " + c.reason()));
          doc.add(new Paragraph(" "));
          PdfPTable table = new PdfPTable(new float[] {6, 2});
          table.setWidthPercentage(100);
          header(table, color(account), "", "Amount (" + i.currency() + ")");
          total2(table, "Credited lines", Money.text(c.subtotal()), false);
          total2(table, "Share of the volume discount", "-" + Money.text(c.discount()), false);
          total2(table, "Tax", Money.text(c.tax()), false);
          total2(table, "Total credited", Money.text(c.total()), true);
          doc.add(table);
        });
  }

  private interface Body {
    void write(Document doc) throws Exception;
  }

  private static byte[] render(
      Account account, byte[] logo, String title, InvoiceRow i, Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Document doc = new Document(PageSize.A4, 48, 48, 48, 48);
    try {
      PdfWriter.getInstance(doc, out);
      doc.addTitle(title);
      doc.addCreator("SecureBase billing");
      doc.open();
      Color brand = color(account);
      if (logo != null) {
        try {
          Image image = Image.getInstance(logo);
          image.scaleToFit(160, 60);
          doc.add(image);
        } catch (Exception unreadable) {
          // Not an image OpenPDF can read: the name alone, as for an unreachable logo.
        }
      }
      doc.add(
          new Paragraph(
              account.shownName(), FontFactory.getFont(FontFactory.HELVETICA_BOLD, 20, brand)));
      doc.add(new Paragraph(title, FontFactory.getFont(FontFactory.HELVETICA_BOLD, 14)));
      doc.add(
          new Paragraph(
              "Period "
                  + DATE.format(i.periodStart())
                  + " to "
                  + DATE.format(i.periodEnd().minusSeconds(1))
                  + " · "
                  + i.tier()
                  + " tier · status "
                  + i.status()));
      doc.add(new Paragraph(" "));
      body.write(doc);
      doc.close();
    } catch (Exception e) {
      throw new IllegalStateException("PDF rendering failed", e);
    }
    return out.toByteArray();
  }

  private static void header(PdfPTable table, Color brand, String... titles) {
    Font white = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 10, Color.WHITE);
    for (String t : titles) {
      PdfPCell c = new PdfPCell(new Phrase(t, white));
      c.setBackgroundColor(brand);
      c.setPadding(5);
      table.addCell(c);
    }
  }

  private static PdfPCell cell(String text, int align, boolean bold) {
    PdfPCell c =
        new PdfPCell(
            new Phrase(
                text,
                FontFactory.getFont(
                    bold ? FontFactory.HELVETICA_BOLD : FontFactory.HELVETICA, 10)));
    c.setHorizontalAlignment(align);
    c.setPadding(4);
    return c;
  }

  private static void total(PdfPTable table, String label, String amount, boolean bold) {
    PdfPCell l = cell(label, Element.ALIGN_RIGHT, bold);
    l.setColspan(2);
    table.addCell(l);
    table.addCell(cell(amount, Element.ALIGN_RIGHT, bold));
  }

  private static void total2(PdfPTable table, String label, String amount, boolean bold) {
    table.addCell(cell(label, Element.ALIGN_LEFT, bold));
    table.addCell(cell(amount, Element.ALIGN_RIGHT, bold));
  }

  private static Color color(Account account) {
    try {
      return account.primaryColor() == null ? DEFAULT_COLOR : Color.decode(account.primaryColor());
    } catch (NumberFormatException e) {
      return DEFAULT_COLOR;
    }
  }
}
