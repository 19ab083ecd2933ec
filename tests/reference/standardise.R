# Reference figures for the standardised comparison of `report` (src/aggregate/standardise.rs):
# the unit's indicator against a group's as if the group had the unit's gender and grade mix,
# assuming the two add up (S = p + Σ w_g (p_g − p) + Σ w_k (p_k − p), w the unit's shares),
# and the linearised standard error of the difference, by R's survey package (delta method on
# the domain totals, one pupil per cluster: `ids = ~1`). Regenerate with
#
#   Rscript tests/reference/standardise.R > tests/reference/standardise.reference.csv
#
# (Debian: apt-get install r-base-core r-cran-survey). The group is every municipality, the
# unit among them; missing codes (98, 99) and blanks are not valid answers, and a pupil of
# unknown gender or grade counts in the group's whole only.
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
file <- if (length(args) > 0) args[1] else "examples/udskoling-2026-sample.csv"
d <- read.csv(file, colClasses = "character")
indicators <- list(q01 = c(1, 2), q09 = c(4, 5), q14 = c(1, 2), q23 = c(2, 3), q29 = c(2, 3))
axes <- list(koen = c("1", "2", "3"), klassetrin = c("7", "8", "9"))
cat("question,municipality,standardised,difference,se\n")
for (q in names(indicators)) {
  code <- suppressWarnings(as.numeric(d[[q]]))
  code[code %in% c(98, 99)] <- NA
  v <- as.numeric(!is.na(code))
  y <- as.numeric(!is.na(code) & code %in% indicators[[q]])
  for (m in sort(unique(d$kommune))) {
    u <- as.numeric(d$kommune == m)
    x <- data.frame(Yu = y * u, Nu = v * u, YG = y, NG = v)
    terms <- character(0)
    estimate <- sum(y) / sum(v)
    p <- estimate
    for (axis in names(axes)) {
      for (value in axes[[axis]]) {
        inpart <- as.numeric(d[[axis]] == value)
        w <- sum(v * u * inpart) / sum(v * u * (d[[axis]] %in% axes[[axis]]))
        if (w == 0) next
        name <- paste0(axis, value)
        x[[paste0("Y", name)]] <- y * inpart
        x[[paste0("N", name)]] <- v * inpart
        estimate <- estimate + w * (sum(y * inpart) / sum(v * inpart) - p)
        terms <- c(terms, sprintf("%.17g * (Y%s / N%s - YG / NG)", w, name, name))
      }
    }
    des <- svydesign(ids = ~1, data = x)
    totals <- svytotal(as.formula(paste("~", paste(names(x), collapse = " + "))), des)
    contrast <- parse(text = paste("Yu / Nu - (YG / NG +", paste(terms, collapse = " + "), ")"))[[1]]
    result <- svycontrast(totals, contrast)
    cat(sprintf("%s,%s,%.10f,%.10f,%.10f\n", q, m, 100 * estimate, 100 * coef(result),
                100 * SE(result)))
  }
}
