// Private to shared/store: how a row of tickets becomes an InboxRow, for every query that answers
// rows in the inbox's shape (store/inbox.cpp, store/rebound.cpp). Never include elsewhere.
#pragma once

#include "store/inbox.h"
#include "store/sqlite_util.h"

namespace linli {

// Columns 0 to 13 of such a query, in this order: id, official_number, provisional_number,
// source, received_at, category, urgency, community, address, title, lead_department, status,
// due_at, due_stage. Read into `r`; each query reads its own columns after these.
void read_inbox_columns(sqlite_util::Stmt& q, InboxRow& r);

}  // namespace linli
