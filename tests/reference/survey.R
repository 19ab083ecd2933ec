# Reference figures for the design-based intervals and tests of `report` (src/aggregate/design.rs),
# computed by R's survey package on the example data and on a second generated file. Regenerate
# with
#
#   Rscript tests/reference/survey.R > tests/reference/udskoling-2026-sample.csv
#   cargo run --release --example gen-survey -- --seed 31 --only Ringkøbing-Skjern,Skive \
#       --out tests/reference/second-sample.csv
#   Rscript tests/reference/survey.R tests/reference/second-sample.csv \
#       > tests/reference/second-sample.reference.csv
#
# (Debian: apt-get install r-base-core r-cran-survey). Pupils are clustered in schools; a
# school is its municipality and name, and pupils without a school form one cluster per
# municipality. Missing codes (98, 99) and blanks are not valid answers.
suppressMessages(library(survey))
options(survey.lonely.psu = "fail")
args <- commandArgs(trailingOnly = TRUE)
file <- if (length(args) > 0) args[1] else "examples/udskoling-2026-sample.csv"
d <- read.csv(file, colClasses = "character")
d$cluster <- paste(d$kommune, ifelse(d$skole == "", "<none>", d$skole))
indicators <- list(q01 = c(1, 2), q09 = c(4, 5), q14 = c(1, 2), q23 = c(2, 3), q29 = c(2, 3))
cat("question,municipality,indicator,low,high,p_value\n")
for (q in names(indicators)) {
  code <- suppressWarnings(as.numeric(d[[q]]))
  code[code %in% c(98, 99)] <- NA
  d$y <- as.numeric(code %in% indicators[[q]])
  d$y[is.na(code)] <- NA
  for (m in sort(unique(d$kommune))) {
    # With one or two schools R gives no finite interval (t with 0 or 1 degree of freedom).
    if (length(unique(d$cluster[d$kommune == m])) < 3) next
    d$inunit <- as.numeric(d$kommune == m)
    des <- svydesign(ids = ~cluster, data = d)
    ci <- svyciprop(~y, subset(des, inunit == 1), method = "logit", na.rm = TRUE)
    fit <- svyglm(y ~ inunit, des, family = quasibinomial())
    p <- summary(fit)$coefficients["inunit", 4]
    cat(sprintf("%s,%s,%.10f,%.10f,%.10f,%.12g\n", q, m, 100 * coef(ci),
                100 * confint(ci)[1], 100 * confint(ci)[2], p))
  }
}
