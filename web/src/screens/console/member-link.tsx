import { navigate } from '../../router.js';

/** A member's page in the console, and a button that opens it by the member's name. */
export function memberLink(ref: { memberId: string }) {
  return `/console/members/${encodeURIComponent(ref.memberId)}`;
}

export function MemberButton({ member }: { member: { memberId: string; name: string } }) {
  return (
    <button type="button" class="link-button" onClick={() => navigate(memberLink(member))}>
      {member.name}
    </button>
  );
}
