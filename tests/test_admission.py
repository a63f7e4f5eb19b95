"""Answer slots: at most N answers in progress, the others let in first come, first served."""

from __future__ import annotations

import asyncio

from connector.admission import answer_slot


async def test_no_more_than_the_limit_run_at_once_and_waiters_enter_in_arrival_order():
    inside, most_inside, entered = 0, 0, []
    release = asyncio.Event()

    async def answer(number: int) -> None:
        nonlocal inside, most_inside
        async with answer_slot(2):
            inside += 1
            most_inside = max(most_inside, inside)
            entered.append(number)
            await release.wait()
            await asyncio.sleep(0)
            inside -= 1

    tasks = []
    for number in range(6):
        tasks.append(asyncio.create_task(answer(number)))
        await asyncio.sleep(0)  # each arrives after the one before
    while len(entered) < 2:
        await asyncio.sleep(0)
    assert entered == [0, 1]  # the other four wait
    release.set()
    await asyncio.gather(*tasks)
    assert most_inside == 2
    assert entered == [0, 1, 2, 3, 4, 5]


async def test_a_cancelled_waiter_gives_up_its_place_without_taking_a_slot():
    async with answer_slot(1):
        waiting = asyncio.create_task(_enter_and_leave())
        await asyncio.sleep(0)
        waiting.cancel()
    async with answer_slot(1):  # the slot is free again: nothing leaked
        pass


async def _enter_and_leave() -> None:
    async with answer_slot(1):
        pass
