/**
 * Members as the registry knows them now, judged on a date, with their history (DESIGN.md §5.2).
 * Reads are scoped: an admin sees their association, an employer its own 記号; anything else is
 * MEMBER_NOT_FOUND, so existence is never revealed across associations. Every view and search writes
 * an audit record (DESIGN.md §3.5).
 */
export { loadMemberInScope } from './members/scope.js';
export { searchMembers } from './members/search.js';
export { statusOn, viewMember } from './members/view.js';
