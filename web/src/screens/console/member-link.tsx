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

/** A member's name as a button, with a note (their kana, or 記号・番号・枝番 in `mono`) on a small line beneath. */
export function MemberWithNote(props: { member: { memberId: string; name: string }; note: string; mono?: boolean }) {
  return (
    <>
      <MemberButton member={props.member} />
      <br />
      <span class={props.mono ? 'small mono' : 'small'}>{props.note}</span>
    </>
  );
}
