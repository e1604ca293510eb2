// The UI's words in Simplified Chinese (default) and English. Text only; no layout, no logic.
#pragma once

#include <string_view>

#include "core/change.h"
#include "core/field.h"
#include "core/ticket.h"
#include "core/workflow.h"

namespace linli::ui {

enum class Lang { Zh, En };

enum class Str {
  AppTitle, MenuView, MenuLanguage,
  TabTickets, TabIntake,
  ColNumber, ColReceived, ColUrgency, ColCategory, ColCommunity, ColAddress, ColTitle, ColStatus, ColSource,
  EmptyList, NewTicket, TicketCount,
  FieldSource, FieldReceivedAt, FieldCitizenName, FieldCitizenPhone, FieldCommunity, FieldAddress,
  FieldCategory, FieldUrgency, FieldTitle, FieldDescription,
  HintReceivedAt, HintName, HintPhone, HintCommunity, HintAddress, HintTitle, HintDescription,
  Save, Clear, Saved, Saving, SaveFailed, Offline, Online, Created,
  ErrMissing, ErrTooLong, ErrBadFormat, ErrBadTime, ErrStorage,
  FixProblems, DetailTitle, DetailNone, ProvisionalHint,
  SignInTitle, SignInSubtitle, FieldUser, FieldPassword, SignInButton, SigningIn, SignInMissing, SignInBadCredentials, SignInRateLimited, SignInUnreachable, SignInServerError, SignInOtherOwner, SignInExpired, SignInFirst, ClearDeviceData, SignOut, SignOutTitle, SignOutUnsent, SignOutAllSent, SignOutKeep, SignOutClear, SignOutClearWarn, Cancel, ReauthButton, TabOutbox, OutboxUnsent, OutboxRefused, OutboxNothingUnsent, OutboxNothingRefused, OutboxRefusedHint, Discard, ColChange, ColTicket, ColWhen, ColReason, Connecting, UnsentCount, AllSent, LastSync, NeverSynced, RetryIn, RetryNow, ClockWarning, FirstSync, SyncHalted, HaltForged, HaltUpgrade, RefusedCount, KindCreate, KindSetField, KindTransition, KindEntry, KindPhoto, KindLink, CodeForbidden, CodeOutOfScope, CodeNotFound, CodeExists, CodeInvalid, PendingSync,
  ConflictBadge, ConflictTitle, ConflictCurrent, ConflictKept, ConflictWho, KeepCurrent, TakeKept, ConflictHint,
  SectionActions, ActContact, ActAssign, ActStart, ActHandle, ActApproveReturn, ActReturnVisit, ActClose, ActReopen, FieldLeadDepartment, NoDepartment, EditField, SaveEdit, SectionTimeline, NoTimeline, EntryContact, EntryHandling, EntryProgress, EntryReturnVisit, EntryReturnRequest, EntryExtension, EntryDecision, EntryComment, AddEntry, EntryHint, Satisfied, BasicallySatisfied, Dissatisfied, Recorded, WhyNot,
  ColDue, ColLeadDept, ColPlace, FilterSearchHint, FilterAnyStatus, FilterAnyCategory, FilterAnyCommunity, FilterAnyUrgency, FilterOverdue, FilterDueToday, FilterReview, FilterMine, FilterClear, TotalTickets, DueOverdue, DueLeft, DueUnknown, StageContact, StageHandling, StageRehandling, DurDays, DurHours, DurMinutes, DurDaysOnly, NoMatch, OverdueCount, DueTodayCount, SectionDeadlines, DeadlineContact, DeadlineFirst, DeadlineRe, DeadlineMet, DeadlineMetLate, DeadlineBy, DeadlineExtended, DeadlineCalendarMissing, ReqReturn, ReqExtension, ReasonHint, DaysLabel, Approve, Refuse, PendingRequests, DecisionApproved, DecisionRefused, Submit, ReasonMissing, Requested, ShortcutsHint, FieldPlaceholder, SectionIntake,
  SyncProgress, RefoldProgress, Redo, Redone, RedoNotHere, RedoGone, RedoKind, RedoSameValue, RedoStepGone,
  Leaning, FilterWarning, WarningBadge, WarningBanner, VisitNoteHint, WarningCount,
  ReboundSuggest, ReboundLinkIt, SectionRebound, ReboundClosed, ReboundThis, ReboundLinkButton, ReboundMaybe,
  TabHotSpots, HotSpotsTitle, HotSpotsDays, ColTickets, ColOpen, ColLatest, ColLinked, HotSpotsEmpty, HotSpotsHint,
  EvCreated, EvPhoto, EvLink, EvConflict, EvOfficial, EvDeleted, EvRestored,
  BulkMarked, BulkAssign, BulkUrgent, BulkNormal, BulkClear, BulkResult, BulkHint, Views, ViewSave, ViewName, ViewDelete,
  SectionCoHandlers, CoAdd, CoRemove, CoPending, CoReplied, CoRemoved, CoReplyTitle, CoReplyHint, CoReplySend, CoNone, StatusAwaitingCo, CoAwaitingHint, EntryCoAdded, EntryCoRemoved, EntryCoReply, CoAddedAt, CoRepliedBy,
  TabDashboard, DashTitle, DashMonth, DashPrevMonth, DashNextMonth, DashThisMonth, DashAsOf, DashNotSynced, DashScope,
  DashReceived, DashVsLast, DashNoLast, DashPerDay, DashByCategory, DashByCommunity, DashIntake, DashHandled,
  DashDownloadCsv, DashPrint, DashEmpty, DashContactTime, DashHours, DashCoHandled, DashOverdue, DashDay, DashCount,
  DashComputing, DashDownloaded, DashPopupBlocked, StageCoReply,
  ReviewLateWork, ReviewMissedWork, ReviewWorkPhoto, ReviewWorkLink, RateHandled, RateOnTime, RateContacted, RateSameDay, RateSatisfied, RateResolved, RateReassigned, RateExtended, RateRebound,
  RateCoReplied, DashPrevYear, DashNextYear,
  KindField,
  ErrCreateOutOfScope,
  TabField, FwCampaign, FwNoCampaign, FwSubRound, FwSubFacilities, FwSubTotals, FwSubCampaigns, FwWeek, FwDue, FwProgress, FwFinished, FwMarkFinished, FwReopenRound, FwColCode, FwColKind, FwColLocation, FwColChecked, FwColTreated, FwColRats, FwColHoles, FwColWells, FwColNote, FwColTicket, FwOpenTicket, FwNoFacilities, FwAddFacility, FwEdit, FwRetire, FwRestore, FwActive, FwRetired, FwShowRetired, FwAllKinds, FwFacilityTitle, FwHintCode, FwHintLocation, FwFindingTitle, FwFindingHint, FwFromRound, FwGoToRound, FwTotalsTitle, FwStreet, FwBaitBoxes, FwSewers, FwHolesFilled, FwRatsKilled, FwWellsDosed, FwFlyCages, FwSites, FwRounds, FwUnitPiece, FwUnitRat, FwNewCampaign, FwName, FwFrom, FwTo, FwKinds, FwWeekday, FwCreate, FwWeeks, FwReadOnly, FieldDatesBackwards, FwAsOf, FwRoundsOf, FwViewTicket, FwSaveFacility, FwHintDate, FwHintCampaign, FwItemsChecked, FwAllDone, FwNoteHint,
  // Photos (app/photos.h, panels/photos.cpp).
  SectionPhotos, PhotoTakeBefore, PhotoTakeAfter, PhotoTake, PhotoBefore, PhotoAfter, PhotoOther, PhotoNone,
  PhotoSaved, PhotoWaitingUpload, PhotoUploading, PhotoOfflineNotCached, PhotoLoading, PhotoFailed, PhotoClose,
  PhotoNoAfter, PhotoNoBefore, PhotoUploadsTitle, PhotoUploadsNone, PhotoBy, PhotoTooBig, PhotoProcessing,
  PhotoRefused, PhotoDiscard, PhotoDiscardedNote, PhotoRefusedHint, FwRemovePhoto,
  OutboxServerSaid,
  FilterMore,
  FilterLess,
  PendingCount,
  DecisionNoteHint,
  ServerAuthor,
  HandleResultHint,
  HandleResultMore,
  ErrHandleResult,
  ReboundByNumber,
  ReboundNumberHint,
  ErrNoSuchNumber,
  ErrReboundLater,
  ErrReboundLinked,
  ThisDevice,
  HandleResultShown,
  KeyAssign,
  KeyNoteSearch,
  KeyNew,
  BackToList,
  StartedAgain,
  StageReport,     // The list's time-left cell: an urgent ticket's next progress report (中途汇报).
  DeadlineReport,  // The detail's deadline row of it, and what the rule is.
  DeadlineReportDaily,
  DeadlineReportedLast,
  Reassign,        // 派单 on a ticket already with a department: 重派.
  ErrAlreadyWith,
  EvFromFinding,   // The timeline's event of a ticket made from a round's finding.
  // The tabs' names where the whole ones do not fit (English on a phone).
  TabTicketsShort, TabIntakeShort, TabHotSpotsShort, TabDashboardShort, TabFieldShort, TabOutboxShort,
  FwCampaignEnded, FwCampaignNotBegun,  // Under the week's round: the campaign is not running today.
  Dial,            // Beside the citizen's phone: call it (tel:).
  DurHoursOnly,    // A phone list's coarse time left: "20小时".
  PendingBadge,    // A list row's tag: a 退单/延期 request waits for the centre.
  // Nothing is chosen for the user: a department to dispatch to, the citizen's satisfaction.
  ChooseDepartment, ChooseSatisfaction, ErrChooseDepartment, ErrChooseSatisfaction,
  OnThisDevice, OnDevice,  // After who wrote a value: on this device, or on which other one.
  EvConflictSettled,       // The timeline's kept conflict once someone decided it.
  NoMatchText,             // The inbox's search found nothing: says what was looked for.
  WaitingToStart, WaitingToHandle,  // Under the steps: whose move it is.
  // 催办 (the centre presses the handler): the timeline's entry, the centre's box and button,
  // the handler's banner, the list's tag and chip.
  EntryUrge, UrgeHint, UrgeSend, UrgeSent, UrgedBanner, UrgedAnswerHint, UrgedCount, UrgedBadge,
  // The dashboard's tables beside the charts: by lead department and source, and the month's
  // overdue tickets (as the print version and the CSV have them).
  DashByDepartment, DashBySource, DashUnassigned, DashOverdueList, DashOverdueOpen, DashOverdueLate,
  DashOverdueMore, DashOverdueNone, DashColStage, DashColDue, DashColState, DashOverdueHint,
  BulkUrge,  // The bulk bar's 催办 on every marked ticket.
  // Above the list: tickets a pull took off this device because they left the user's scope.
  LeftNotice, LeftMore, LeftOk,
  // The centre's chips for its own next steps: handled tickets to visit, visited ones to close.
  ToVisitCount, ToCloseCount,
  DraftRestored,  // The intake form half filled in when the app was closed, given back.
  FwAskCentre,    // Under an ended campaign, for those who cannot start one: who can.
  ErrPhoneFormat,  // A phone number the form cannot take: what one looks like.
  // A visited or closed ticket's outcome at the top of its steps: what was done, what the citizen
  // said, when it was closed.
  SectionOutcome, OutcomeVisit, OutcomeClosed,
  // An assigned ticket whose citizen has not been called back (先行联系) while its deadline runs:
  // the line under the steps, the note's hint, its button, and the words of a call noted blank.
  ContactDueLine, ContactNoteHint, RecordContact, ContactDefaultText,
  ReboundBadge,  // In the list, before the title of a ticket linked as a rebound.
  // An urgent ticket in hand on the day its 中途汇报 is due: the line under 处理 and the note's hint.
  ReportDueLine, ReportNoteHint,
  // In the list's status column, where 已办结·待协办回复 would be cut: the short word (the whole on hover).
  StatusAwaitingCoShort,
  // Under the intake's urgency: what 紧急 asks of everyone, and when to choose it.
  UrgentMeans, UrgentWhen,
  // 巡查: a campaign under way while another one is chosen, and the button that switches to it.
  FwCurrentCampaign, FwSwitchCampaign,
  // A round count beside this worker's own: what others (a committee's officer on the same round)
  // recorded, so the same rats are not counted twice; and the sum, on hover.
  FwOthersPart, FwCountSum,
  AssignNoteHint,  // Beside 派单: what the dispatcher tells the department (a comment with the step).
  FwDueLate,  // After 应巡查日 …, red, when that day has gone by and the round is not finished.
  ReboundedBadge,  // In the list, on an earlier ticket a later one is linked to as its rebound.
  ErrRequestLapsed,  // Deciding a 退单/延期 request once the ticket is no longer with its handler.
  ErrReceivedFuture,  // The intake's 受理时间 later than now.
  OpenAtAddress,  // Above the open tickets at the address the intake form was given (可能重复).
  ExtensionUntil,  // Beside a pending 延期 request's days: the handling stage's new end if approved.
  // What each 统计 card counts, on hover (docs/metrics.md), in the order of the cards.
  MeanHandled, MeanOnTime, MeanContacted, MeanSameDay, MeanSatisfied, MeanResolved, MeanReassigned, MeanExtended,
  MeanRebound, MeanCoReplied, MeanContactTime,
  DispatchNote,  // The detail's label for what the dispatcher wrote with the last 派单.
  ActAnswer,     // 直接答复: the centre handles a ticket it answered itself (no dispatch).
  AnswerHint,    // The words of a 直接答复: what the citizen was told.
  AnsweredByCentre,  // 承办部门 of a ticket the centre handled itself, never dispatched.
  ImageInFlight,     // A first sync as an image: the server builds this device's store.
  ImageDownload,     // Its download: MB come so far, MB in all.
  ImageTaking,       // Downloaded; being written into the device's store (the page holds still).
  EmptyFirstSync,    // The list while a first sync brings the scope's tickets in.
  Count_,
};

std::string_view tr(Lang lang, Str s);
// A string with one "%s" filled in with `arg`.
std::string tr_with(Lang lang, Str s, std::string_view arg);
std::string_view label(Lang lang, Source v);
std::string_view label(Lang lang, Urgency v);
std::string_view label(Lang lang, TicketStatus v);
std::string_view label(Lang lang, Category v);
std::string_view label(Lang lang, FacilityKind v);  // 毒鼠盒 / Bait box …
std::string_view weekday_label(Lang lang, int weekday);  // 1 = Monday: 周一 / Mon
Str action_label(WorkflowAction a);                      // 派单 / Assign …
// A step as it was taken: a handle from received or contacted is the centre's 直接答复办结.
Str step_label(WorkflowAction a, TicketStatus from);
Str entry_label(EntryKind k);
Str satisfaction_label(Satisfaction s);                  // 满意 / Satisfied …                            // 处置记录 / Handling note …
Str field_label(EditableField f);                        // 标题 / Title …

std::string_view lang_code(Lang lang);  // "zh" / "en", as saved in settings.
Lang parse_lang(std::string_view code);

}  // namespace linli::ui
