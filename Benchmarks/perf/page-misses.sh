#!/bin/bash
# page-misses.sh DATABASE: pages SQLite reads (page-cache misses, a fresh process) for the profile
# of the patient with the most fills, with Store.profileSQL as it is after v5 or before it
# (chosen by the layout found). Read-only. docs/performance.md, "versions filed by patient".
set -e
DB=$1
P=$(sqlite3 -readonly "$DB" "SELECT hex(patient_index) FROM dispense GROUP BY patient_index ORDER BY COUNT(*) DESC LIMIT 1")
if sqlite3 -readonly "$DB" "SELECT 1 FROM pragma_table_info('dispense_version') WHERE name = 'patient_index'" | grep -q 1; then
  V="v.patient_index = d.patient_index AND v.dispense_id = d.id AND v.version = d.current_version"
  N="n.patient_index = d.patient_index AND n.dispense_id = d.id"; O="outbox o INDEXED BY outbox_by_version"
else
  V="v.dispense_id = d.id AND v.version = d.current_version"; N="n.dispense_id = d.id"; O="outbox o"
fi
sqlite3 -readonly "$DB" <<SQL | grep -E "^[0-9]|misses"
.stats on
SELECT COUNT(*) AS fills FROM (
SELECT d.id, v.payload, o.state, (SELECT MAX(n.version) FROM dispense_version n WHERE $N) AS newest
  FROM dispense d
  LEFT JOIN dispense_version v ON $V
  LEFT JOIN $O ON o.dispense_id = d.id AND o.version = d.current_version
 WHERE d.patient_index = X'$P' AND d.status != 'entered-in-error'
 ORDER BY d.dispensed_at DESC, d.id DESC);
SQL
