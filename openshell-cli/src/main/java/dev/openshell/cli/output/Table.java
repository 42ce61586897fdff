package dev.openshell.cli.output;

import dev.openshell.api.SafeText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A text table with a header row, columns separated by three spaces, that fits a terminal width:
 * when the natural widths do not fit, the widest columns are cut (ending in {@code ...}) until
 * they do, never below their header. Every cell is made terminal-safe first ({@link SafeText}): a
 * name or label from the gateway cannot move the cursor or break a line.
 */
public final class Table {

    private static final String GAP = "   ";
    private static final int MIN_CUT = 8;

    private final List<String> headers;
    private final List<String[]> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    /** Adds a row; {@code null} cells print as empty. */
    public Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = cells[i] == null ? "" : SafeText.oneLine(cells[i].toString(), 4096);
        }
        rows.add(row);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table, each line ending in a newline; {@code width} 0 means no limit. */
    public String render(int width) {
        int n = headers.size();
        int[] widths = new int[n];
        for (int i = 0; i < n; i++) {
            widths[i] = headers.get(i).length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        if (width > 0) {
            fit(widths, width);
        }
        StringBuilder out = new StringBuilder();
        line(out, headers.toArray(String[]::new), widths);
        for (String[] row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    /** Narrows the widest columns until the total fits or nothing more can be cut. */
    private void fit(int[] widths, int width) {
        int total = Arrays.stream(widths).sum() + GAP.length() * (widths.length - 1);
        while (total > width) {
            int widest = -1;
            for (int i = 0; i < widths.length; i++) {
                int floor = Math.max(MIN_CUT, headers.get(i).length());
                if (widths[i] > floor && (widest < 0 || widths[i] > widths[widest])) {
                    widest = i;
                }
            }
            if (widest < 0) {
                return;
            }
            int floor = Math.max(MIN_CUT, headers.get(widest).length());
            int cut = Math.min(total - width, widths[widest] - floor);
            widths[widest] -= cut;
            total -= cut;
        }
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i];
            if (cell.length() > widths[i]) {
                cell = cell.substring(0, Math.max(0, widths[i] - 3)) + "...";
            }
            line.append(cell);
            if (i < cells.length - 1) {
                line.append(" ".repeat(widths[i] - cell.length())).append(GAP);
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
